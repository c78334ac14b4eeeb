// The pool is process-wide and some tests observe or re-bound it: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
