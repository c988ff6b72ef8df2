"""Data files shipped with the analysis layer: standards of proof, thesauri, law."""
