"""Natural-language models: reading NorNE, training, evaluating, loading and publishing pipelines."""
