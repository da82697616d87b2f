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

# %% [markdown] quizkit={"role": "primer"}
# <details><summary>New to Python or to notebooks? Read this first.</summary>
#
# **Run a cell.** Click in a cell, then press Shift+Enter. While it runs, `[*]` shows beside it;
# when it is done, a number such as `[3]`. Run the cells in order, from the top: a cell uses
# what the cells above it made.
#
# **Read the code you change.** Each exercise gives you a code cell with a function in it.
#
# - `def name(a, b):` makes a function called `name`. The lines under it, moved to the right,
#   run each time the function is used, with `a` and `b` set to the values it is given.
# - `return x` ends the function and gives `x` back as its answer.
# - `RULES["plan.plus.monthly_connects"]` is one figure of the rules. The figures this
#   workbook uses are listed below.
# - A line that starts with `#` is a note for people. Python does not run it.
#
# Change the lines inside the function, keep its `def` line, and run the cell again. To try
# the function, add a cell below (press Esc, then B) and call it with your own values, as in
# `name(1, 2)`: the answer shows under the cell.
#
# **Read what `check` prints.** The first line names the exercise and gives the result:
# *passed* when every check passed, *failed* when one did not, *error* when your code stopped
# with an error before it could be checked, *stopped* when it ran too long. Under it, one line
# per check: PASS or FAIL, then what the check found. A FAIL often shows a call of your
# function, what it returned, and the right answer.
#
# **Stuck?** Open the hints under the task, one at a time. Or skip the exercise: the lesson
# and its quiz do not need it.
#
# </details>

# %% [markdown] quizkit={"role": "guide"}
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
# Every exercise is optional: skip any of them, the lesson and its quiz do not need them.
#
# ## Running it on your computer
#
# The notebook alone cannot grade: `check` needs the course's files and its `quizkit`
# package. You need Python 3.11 or newer and a copy of the course's folder (the one the
# site is built from, with `pyproject.toml` and `exercises/` in it). In a terminal, in
# that folder, run:
#
# ```sh
# python3 -m venv .venv
# .venv/bin/pip install -e . notebook
# .venv/bin/jupyter notebook exercises/workbooks
# ```
#
# On Windows, write `python`, `.venv\Scripts\pip` and `.venv\Scripts\jupyter` instead.
# Put this notebook in `exercises/workbooks/` and open it from there: `check` finds the
# exercises from the notebook's folder. If you keep it somewhere else, start with a cell
# that says where the course is: `%env QUIZKIT_CONTENT=/path/to/the/course/exercises`.

# %%
from quizkit.notebook import PLANS, PROFILE_SECTIONS, RULES, check, show_figures

# %% [markdown]
# ## The figures
#
# The figures this lesson uses, as your functions read them from `RULES`.
# After a `None` comes what it means. After a figure that the course's source article
# does not state, or that is not certain, come the month it was last confirmed and how
# sure it is (high, medium or low).

# %%
show_figures("boost.", "returns.", "proposal.", "purchase.price_per_connect_usd")


# %% [markdown] quizkit={"exercise": "connects-spent", "role": "prompt"}
# ## What did that boosted proposal really cost?
#
# When a job lets you boost your proposal, you bid extra Connects for one of the
# 4 (Oct 2025 · high) top slots the client sees first. Upwork now uses
# "pay what you bid", but only in two cases (Oct 2025 · medium). The bid is
# charged when **your proposal held a top slot when the auction closed**, or when **the
# client interacted with you while you were boosted**. If you were outbid before any
# interaction, Upwork's help page says no boost fee is taken. The course keeps that rule in
# `RULES["boost.charge_if_outbid_before_interaction"]`: `True` if an outbid boost is charged
# anyway, `False` if it is not. Today it is
# `False`, so an outbid boost costs nothing.
#
# Before you boost, you want to know what the proposal can cost you: what it costs if you keep a
# top slot, and what it costs if you are outbid. Then you bid only what your balance can take.
#
# Write `connects_spent(required, bid, top_slot_at_close, client_interacted)`:
#
# - `required` is an `int`: the Connects the job requires for any proposal.
# - `bid` is an `int`: the extra Connects you bid to boost it (0 when you did not boost).
# - `top_slot_at_close` and `client_interacted` are `bool`s.
# - Return an `int`: the Connects the proposal finally cost you.
#
# For example, a job that requires 9 Connects, boosted with a bid of 14: if you held a
# top slot at close it cost 23;
# if you were outbid and the client never messaged you or otherwise interacted with your
# proposal, it cost 9.
#
# <details><summary>Hint 1</summary>
#
# Split the cost in two parts: the Connects the job requires, which every proposal pays, and the boost bid, which is only sometimes taken.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The bid is taken when your proposal held a top slot when the auction closed, **or** when the client interacted with you while you were boosted. Either one is enough.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# When neither happened, `RULES["boost.charge_if_outbid_before_interaction"]` says whether the bid is taken anyway (today: no (Oct 2025 · medium)).
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# Join the three conditions with `or` into one yes/no, `charged`. The cost is `required`, plus `bid` only when `charged` is true: `required + (bid if charged else 0)`. Keep the parentheses: `required + bid if charged else 0` reads as `(required + bid) if charged else 0`, which forgets the required Connects of a bid not charged.
#
# </details>

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
# Upwork offers you a boost on a job you really want. Two questions; if you buy Connects when
# you run short, only the first one decides:
#
# 1. **Is the extra chance worth more than the bid?** The bid's price in dollars is
#    `bid * RULES["purchase.price_per_connect_usd"]` (today $0.15 (Oct 2025 · high)
#    a Connect). The gain is the extra chance the boost gives you, times what the contract pays.
#    The boost is worth it when the gain is more than the price. Count every Connect of the bid
#    at that price, wherever it comes from: one from your balance costs as much as a bought one
#    if you ever buy Connects.
# 2. **How many Connects must you buy now?** Add this proposal's required Connects, the bid and
#    the proposals you still plan to send before your refill: what your balance does not cover,
#    you buy (or you send fewer proposals). This tells you what to do next, not whether to boost.
#
# Write two functions:
#
# - `connects_to_buy(balance, required, planned, bid)`: `balance` is the Connects you have now,
#   to last until your next refill, `required` the Connects this job (and, roughly, each planned one) requires,
#   `planned` how many other proposals you still plan to send, and `bid` the Connects you would
#   bid. Return an `int`: the Connects your balance does not cover, 0 when it covers them all.
# - `boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance)`: `bid` is the
#   Connects you would bid, `to_buy` what `connects_to_buy` gave for it, `contract_usd` what
#   the job pays, and the two chances are `float`s from 0 to 1, without and with the boost.
#   Return a `bool`: whether the boost is worth its bid. `to_buy` is there on purpose, as it is
#   in front of you when you decide: for someone who buys Connects when they run short, the right
#   answer does not depend on it.
#
# For example, take a job requiring 9 Connects, with 2 more proposals planned and a bid of 15
# Connects. With a balance of 35, you must buy
# 7 Connects to send it with that
# bid; with a balance of 55,
# 0 Connects. If the bid takes
# your chance of winning a $600 contract from 10% to 30%, it gains
# $120.00 for $2.25 of Connects. Worth it, with
# either balance? **yes**.
# If it takes your chance of winning a $60 contract from 10% to 12%, it gains
# $1.20. Worth it, even with the balance of 55?
# **no**.
#
# <details><summary>Hint 1</summary>
#
# Start with `connects_to_buy`: add this proposal's `required` Connects, the `planned` proposals' (`required` each) and the `bid`. What your `balance` does not cover is what you buy, and never less than 0.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# `max(0, x)` turns a negative `x` into 0: use it on what you need less what you have.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# In `boost_worth_it`, compare two amounts in dollars: what the extra chance of winning is worth on this contract, and what the bid's Connects cost at `RULES["purchase.price_per_connect_usd"]` each. Does that price depend on whether the Connects come from your balance or you buy them?
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# A comparison such as `a > b` is already `True` or `False`: return it, no `if` needed.
#
# </details>

# %% quizkit={"exercise": "boost-worth-it", "role": "starter"}
def connects_to_buy(balance, required, planned, bid):
    """Connects to buy now to send this proposal with its bid and keep the planned ones."""
    return 0


def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    """Whether a boost is worth its bid: more gain than the bid's price, whichever Connects pay for it."""
    return False


# %% quizkit={"exercise": "boost-worth-it", "role": "check"}
check("boost-worth-it", boost_worth_it, connects_to_buy)

# %% [markdown]
# ## What next
#
# When every grading cell says *passed* (or whenever you like: the exercises are optional,
# and the quiz does not need them), go back to Lesson 3 for its quiz, or open Workbook 4
# on your profile.
