"""Evaluation reports (Excel and PDF) per unit and Jalali period, and the monthly automatic run."""
