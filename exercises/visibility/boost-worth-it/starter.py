def boost_worth_it(bid, contract_usd, win_chance, boosted_win_chance):
    """Whether the extra chance of winning is worth more than the bid's Connects, in dollars."""
    return False
