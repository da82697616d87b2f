def connects_returned(outcome):
    """Whether the Connects spent on a proposal come back after `outcome`."""
    return False


def connects_back(proposals):
    """Connects returned to your balance for a list of finished proposals."""
    total = 0
    return total
