// Containers share 2 cores: collections run one after another so fault timings mean what they say.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
