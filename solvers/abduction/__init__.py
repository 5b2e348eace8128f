"""Consistency-based abduction: reconcile conflicting expert claims (Leiva et al., arXiv 2505.19361).

Claims become candidate labels per slot (SI values clustered within a tolerance); error-detection
rules flag claims; relations (balances, equations) and bounds constrain combinations. The solvers
choose the labels that cover the most slots with an inconsistency rate <= δ: exactly by integer
programming (``ip``: PuLP with CBC or HiGHS) or fast by heuristic search (``heuristic``).
"""

from solvers.abduction.constraints import Relation, balance, equation, physical_bounds
from solvers.abduction.heuristic import solve_heuristic
from solvers.abduction.instance import ClaimLike, Instance, Prediction, build_instance, to_si
from solvers.abduction.ip import Selection, solve_ip
from solvers.abduction.reconcile import SOLVERS, Abduction, Rejected, abduce, register_solver
from solvers.abduction.rules import DECLARED_RULES, Rule, learn_rules, load_rules, save_rules

__all__ = [
    "DECLARED_RULES",
    "SOLVERS",
    "Abduction",
    "ClaimLike",
    "Instance",
    "Prediction",
    "Rejected",
    "Relation",
    "Rule",
    "Selection",
    "abduce",
    "balance",
    "build_instance",
    "equation",
    "learn_rules",
    "load_rules",
    "physical_bounds",
    "register_solver",
    "save_rules",
    "solve_heuristic",
    "solve_ip",
    "to_si",
]
