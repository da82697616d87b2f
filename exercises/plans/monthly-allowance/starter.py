def proposals_per_month(plan, required):
    """Whole proposals at `required` Connects each that `plan`'s monthly Connects pay for."""
    allowance = 0
    return allowance
