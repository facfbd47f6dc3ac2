"""Research code, outside the flow: loaders and official metrics of public stance benchmarks
(FNC-1, SemEval-2016 Task 6 A, Emergent) and the configurations scored on them.

Modules: ``stance_datasets``, ``stance_metrics``.
"""
