def boost_worth_it(bid, contract_usd, win_chance, boosted_win_chance):
    return (boosted_win_chance - win_chance) * contract_usd > bid
