"""The statements step at scale: corpora larger than memory, several cores, a Dask cluster.

Modules: ``tables`` (the statements table's fixed column types, so that chunks, workers and
partitions give one table), ``writer`` (statements written chunk by chunk to CSV or parquet),
``local`` (chunks on N local processes, each compiling the codebook once), ``cluster`` (the
same chunks on a ``dask.distributed`` cluster) and ``run`` (``write_statements``: a corpus in,
a statements file out, in memory that does not grow with the corpus).
"""
