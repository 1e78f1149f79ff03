"""The exclusion criteria of Kwaliteitskader §5.1: when citizen responders are not alerted.

`criteria` judges a call on all five; the motorway criterion has its own modules: the map
(`motorway_map`, `motorway`), the road numbers in a description (`road_notation`) and the
decision between the two (`motorway_criterion`).
"""

from .criteria import (
    CRITERIA,
    CallFacts,
    Criterion,
    ExclusionVerdict,
    Finding,
    assess,
    verdict_data,
    verdict_from_data,
)

__all__ = ["CRITERIA", "CallFacts", "Criterion", "ExclusionVerdict", "Finding", "assess", "verdict_data",
           "verdict_from_data"]
