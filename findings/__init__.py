"""The findings engine: derived facts, rules, aggregation, counter-evidence, ranking and the report.

It sits above ``graph/`` (storage), ``loaders/`` and ``queries/`` and below the CLI and the app,
so that the CLI's ``gaps``, the app's pages and every export show the same findings for the same
case (docs/decisions.md, "The model for this round").
"""
