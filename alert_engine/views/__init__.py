"""One definition of every figure the product shows (Qt-free): counts, targets, target met.

The live console's tiles, the queue's phase, the engine's target-reached cancellation, the
audit, reviews and reports all read these, so a dispatcher never sees two answers to one
question ("doel bereikt" next to a runners tile saying 0/2).
"""
