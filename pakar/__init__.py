"""PAKAR — Portal Pengaduan Konsultasi Aparatur dan Masyarakat."""
