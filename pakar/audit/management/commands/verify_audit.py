"""Walk the audit chain and name the first entry that was tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pakar.audit.verify import Tampering, parse_head, verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain. Exits with status 1 and names the first entry that was "
        "edited, deleted, inserted or reordered, or the published head that is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="DIGEST",
            help=(
                "A head published earlier (SEQUENCE:DIGEST as printed by this command, or the bare digest). "
                "Fails if it is no longer in the log, which shows entries removed from the end."
            ),
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Entries read per query (default 5000).")

    def handle(self, *args: Any, **options: Any) -> None:
        expected = None
        if options["expect_head"]:
            try:
                expected = parse_head(options["expect_head"])
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from exc
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1", returncode=2)
        result = verify_chain(expect_head=expected, batch_size=options["batch_size"])
        if result.problem is not None:
            message = f"Audit log tampered with ({result.problem.kind}): {result.problem.message}"
            if result.problem.kind == Tampering.EDITED and result.problem.sequence == 1:
                message += " If the log was never touched, check that PAKAR_LOOKUP_SALT is this instance's original value: the chain is keyed with it."
            raise CommandError(message, returncode=1)
        self.stdout.write(f"Audit log intact: {result.entries} entries. Head: {result.head}")
        if expected is not None and result.published_at is not None:
            since = result.head.sequence - result.published_at
            self.stdout.write(f"Published head found at #{result.published_at}; {since} entries written since.")
