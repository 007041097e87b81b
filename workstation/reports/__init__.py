"""Dossier and notice PDFs, maps drawn for print, PAdES signing and verification."""
