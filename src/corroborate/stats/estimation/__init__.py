"""Multiple systems estimation (issue 15): how many people no list saw, from capture histories.

``results`` is the shape every method returns (``Estimate``, ``ModelFit``). Pure computation on the values
passed in: never reads a store, never logs.

The log-linear method is ``loglinear.loglinear`` (its cells and designs in ``design``, the existence and
identifiability checks in ``existence``, fits in ``poisson``, intervals in ``intervals``); ``cautions`` words
the warnings every method shares. The Bayesian latent-class method is ``lcmcr.lcmcr`` (its chains' split
R-hat and effective sample size in ``diagnostics``). Import them from their modules: they load NumPy, SciPy
and statsmodels, which a command that only starts should not.
"""

from .results import Estimate, ModelFit

__all__ = ["Estimate", "ModelFit"]
