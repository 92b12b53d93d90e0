"""The records of a consultant's work, their validation and the rules of the law: pure, no I/O."""
