"""The tamper-evident audit trail.

Call :func:`pakar.audit.services.record` inside the transaction of the change
it describes; publish :func:`pakar.audit.services.head`; check everything with
``manage.py verify_audit``. Search and CSV export live in
:mod:`pakar.audit.search`.
"""
