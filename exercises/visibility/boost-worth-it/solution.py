def boost_worth_it(bid, contract_usd, win_chance, boosted_win_chance):
    """Whether the extra chance of winning is worth more than the bid's Connects, in dollars."""
    gain_usd = (boosted_win_chance - win_chance) * contract_usd
    cost_usd = bid * RULES["purchase.price_per_connect_usd"]
    return gain_usd > cost_usd
