# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: quizkit
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   quizkit:
#     lesson: visibility
# ---

# %% [markdown]
# # Workbook 3: Proposal visibility
#
# Lesson 3 looks at what makes a proposal seen: quality, speed, and boosting with extra
# Connects. These exercises work out what a boost really costs and when it pays.
#
# ## How this workbook works
#
# Run the cells from the top with Shift+Enter. Each exercise has three cells: the task,
# a code cell with starter code for you to change, and a one-line cell that grades your
# code. The grading cell runs the same checks, with the same messages, as the exercise
# in the lesson page, so a workbook and the page always agree.
#
# `check` grades the whole cell that defines your function: keep the imports, constants
# and helper functions your answer needs in that cell. Run the cell again after every
# change, then run the grading cell.
#
# The workbook needs Python with the course's `quizkit` package, and it has to be
# opened from the course folder (it lives in `exercises/workbooks/`), where `check`
# finds the exercises. Elsewhere, set the `QUIZKIT_CONTENT` environment variable to the
# course's `exercises` folder before the first cell.

# %%
from quizkit.notebook import PLANS, PROFILE_SECTIONS, RULES, check

# %% [markdown]
# ## The figures
#
# The figures this lesson uses, read from `RULES`:

# %%
for figure in sorted(RULES):
    if figure.startswith(("boost.", "returns.", "proposal.")):
        print(f"{figure:<34} {RULES[figure]}")


# %% [markdown] quizkit={"exercise": "connects-spent", "role": "prompt"}
# ## What did that boosted proposal really cost?
#
# When a job lets you boost your proposal, you bid extra Connects for one of the
# 4 top slots the client sees first. Since August 2023 Upwork uses
# "pay what you bid", but only when the boost did something for you. The bid is
# charged when **your proposal held a top slot when the auction closed**, or when **the
# client interacted with you while you were boosted**. If you were outbid before any
# interaction, no boost fee is taken. Whether it would be taken anyway is the flag
# `RULES["boost.charge_if_outbid_before_interaction"]` (today `False`).
#
# You are reviewing your Connects history and want to check each proposal's final cost.
#
# Write `connects_spent(required, bid, top_slot_at_close, client_interacted)`:
#
# - `required` is an `int`: the Connects the job requires for any proposal.
# - `bid` is an `int`: the extra Connects you bid to boost it (0 when you did not boost).
# - `top_slot_at_close` and `client_interacted` are `bool`s.
# - Return an `int`: the Connects the proposal finally cost you.
#
# For example, a job that requires 8 Connects, boosted with a bid of 12: if you held a
# top slot at close it cost 20; if you were outbid and the client never opened your
# proposal, it cost 8.

# %% quizkit={"exercise": "connects-spent", "role": "starter"}
def connects_spent(required, bid, top_slot_at_close, client_interacted):
    """Connects a proposal finally costs: the job's requirement, plus the bid when it is charged."""
    total = 0
    return total


# %% quizkit={"exercise": "connects-spent", "role": "check"}
check("connects-spent", connects_spent)


# %% [markdown] quizkit={"exercise": "boost-worth-it", "role": "prompt"}
# ## Is this boost worth its Connects?
#
# A client posted a job you really want, and Upwork offers you a boost. You estimate your
# chance of winning the contract with and without a boost. Is the bid worth it?
#
# The course compares two amounts in dollars:
#
# - **What the boost brings:** the chance of winning that it *adds* to the chance you
#   already had, applied to what the contract pays.
# - **What the boost costs:** the bid's Connects, valued at the price of one Connect,
#   `RULES["purchase.price_per_connect_usd"]` (today $0.15).
#   Count the whole bid: a boost that works is a boost you pay for.
#
# The boost is worth it only when what it brings is **strictly more** than what it costs.
#
# Write `boost_worth_it(bid, contract_usd, win_chance, boosted_win_chance)`:
#
# - `bid` is an `int`: the Connects you would bid.
# - `contract_usd` is a number (`int` or `float`): what the contract pays, in dollars.
# - `win_chance` and `boosted_win_chance` are `float`s from 0 to 1: your chance of winning
#   without and with the boost.
# - Return a `bool`.
#
# For example, bidding 20 Connects on a $500 contract that a boost takes from a 10% to a
# 20% chance brings $50 for $3.00 of Connects: worth it.

# %% quizkit={"exercise": "boost-worth-it", "role": "starter"}
def boost_worth_it(bid, contract_usd, win_chance, boosted_win_chance):
    """Whether the extra chance of winning is worth more than the bid's Connects, in dollars."""
    return False


# %% quizkit={"exercise": "boost-worth-it", "role": "check"}
check("boost-worth-it", boost_worth_it)


# %% [markdown] quizkit={"exercise": "connects-returned", "role": "prompt"}
# ## Which Connects come back this month?
#
# You applied to a dozen jobs this month, and they ended in different ways. A few of
# those outcomes give your Connects back (as Connects, never as money); most do not.
# Upwork's help page names the cases, and the course keeps them in two lists:
#
# - `RULES["returns.returned_reasons"]`: outcomes where the Connects come back
#   (today: client_cancelled_before_contract, removed_by_upwork).
# - `RULES["returns.kept_reasons"]`: outcomes where they stay spent
#   (today: declined, other_freelancer_hired, job_expired, withdrawn).
#
# Write two functions.
#
# 1. `connects_returned(outcome)`: `outcome` is a `str`, one of the outcome names in those
#    lists. Return a `bool`: `True` when the Connects spent on the proposal come back.
# 2. `connects_back(proposals)`: `proposals` is a `list` of `dict`s, one per proposal, with
#    the keys `"job"` (`str`), `"connects"` (`int`: what the proposal cost you, boost
#    included) and `"outcome"` (`str`). Return an `int`: how many Connects come back to your
#    balance for the whole list. Use `connects_returned` to decide each proposal.
#
# For example, if a client cancelled a 12-Connect job before hiring anyone and you were
# declined for an 8-Connect one, 12 Connects come back.
#
# Read the lists from `RULES` instead of copying them into your code: Upwork has changed
# its Connects rules before (in August 2024 it briefly charged Connects to reply to
# invitations).

# %% quizkit={"exercise": "connects-returned", "role": "starter"}
def connects_returned(outcome):
    """Whether the Connects spent on a proposal come back after `outcome`."""
    return False


def connects_back(proposals):
    """Connects returned to your balance for a list of finished proposals."""
    total = 0
    return total


# %% quizkit={"exercise": "connects-returned", "role": "check"}
check("connects-returned", connects_returned, connects_back)

# %% [markdown]
# ## What next
#
# When every grading cell says *passed*, go back to Lesson 3 for its quiz, or open
# Workbook 4 on your profile.
