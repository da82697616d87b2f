import math


def proposals_affordable(balance, required):
    return math.ceil(balance / required)
