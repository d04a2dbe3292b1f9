"""Realistic synthetic submissions from every criminal justice body, with the truth behind them."""

from synthetic.generator.run import Summary, generate, parse_period, periods_between

__all__ = ["Summary", "generate", "parse_period", "periods_between"]
