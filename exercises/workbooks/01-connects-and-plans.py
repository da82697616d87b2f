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
#     lesson: plans
# ---

# %% [markdown]
# # Workbook 1: Connects and membership plans
#
# Lesson 1 explains what Connects are, how many each plan credits, when they arrive and
# when they expire. Here you turn those rules into small Python functions that you
# can run on your own figures.

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
# Your functions read every plan figure from `RULES`, a dictionary from figure ids to
# values. Nothing is typed by hand: when Upwork changes a rule, the course updates
# `RULES` and your functions follow. `PLANS` lists the plans and `PROFILE_SECTIONS`
# the profile sections; the exercises in the lesson pages get the same three names.
# The plans and the figures this lesson uses, with what your code gets from `RULES`.
# After a `None` comes what it means. After a figure that the course's source article
# does not state, or that is not certain, come the month it was last confirmed and how
# sure it is (high, medium or low).

# %%
print(PLANS)
show_figures("plan.", "refill.", "expiry.", "rollover.", "purchase.")


# %% [markdown] quizkit={"exercise": "monthly-allowance", "role": "prompt"}
# ## How many proposals does my plan pay for?
#
# Before you look at jobs, you want to know what your plan alone pays for: **how many
# proposals a month does my plan's allowance cover**, for jobs that require a given number of
# Connects?
#
# Write `proposals_per_month(plan, required)`:
#
# - `plan` is a plan id: `"basic"` or `"plus"`.
# - `required` is an `int` of 1 or more: the Connects each proposal needs (assume every job
#   you look at asks for the same number).
# - Return an `int`: how many whole proposals the plan's monthly Connects pay for.
#
# The monthly Connects of a plan are in `RULES`, under `"plan.basic.monthly_connects"` and
# `"plan.plus.monthly_connects"`. For example, today Freelancer Plus credits
# 100 Connects, so with jobs requiring 13 Connects it pays for
# 7 proposals, and
# 9 Connects stay in your balance.
#
# <details><summary>Hint 1</summary>
#
# Two steps: look up how many Connects the plan credits each month, then count how many whole proposals of `required` Connects fit into that number.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The key of a plan's monthly Connects is built from the plan id: `RULES[f"plan.{plan}.monthly_connects"]`.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# Half a proposal cannot be sent. Python's floor division `//` counts whole times and keeps the answer an `int`: `allowance // required`.
#
# </details>

# %% quizkit={"exercise": "monthly-allowance", "role": "starter"}
def proposals_per_month(plan, required):
    """Whole proposals at `required` Connects each that `plan`'s monthly Connects pay for."""
    allowance = 0
    return allowance


# %% quizkit={"exercise": "monthly-allowance", "role": "check"}
check("monthly-allowance", proposals_per_month)

# %% [markdown] quizkit={"exercise": "next-refill", "role": "prompt"}
# ## When do my next Connects arrive?
#
# Your Connects arrive on the first day of each billing cycle, and the billing cycle
# starts on the day of the month you signed up or upgraded. Before you plan this
# week's proposals you want to know: **when do the next Connects arrive?**
#
# There is one catch. Short months lack the last days of longer ones, so a cycle that
# starts late in the month renews on the **1st** of each month instead. The day from
# which that happens is the figure `RULES["refill.late_start_day"]`: today, a cycle
# that starts on or after day 29 (Oct 2025 · high) renews on the 1st.
#
# Write `next_refill(billing_day, today)`:
#
# - `billing_day` is an `int` from 1 to 31: the day of the month your billing cycle started.
# - `today` is a `datetime.date`.
# - Return a `datetime.date`: the first refill date **strictly after** `today`. If
#   Connects arrive today, they are already in your balance, so the answer is the
#   refill after that one.
#
# For example, with a cycle that started on the 15th, on 9 March 2026 the next refill is
# 15 March 2026, and on 15 March 2026 it is
# 15 April 2026. With a cycle that started on the 31st,
# on 9 April 2026 the next refill is 1 May 2026.
#
# `date` is already imported in the starter. Read the late-start day from `RULES`
# rather than typing it.
#
# <details><summary>Hint 1</summary>
#
# Work in two steps: first find the day of the month on which Connects arrive, then find the first date with that day that comes after `today`.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# The refill day is `billing_day`, unless the cycle started late in the month: from `RULES["refill.late_start_day"]` on, Connects arrive on the 1st instead.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# Try this month first with `today.replace(day=refill_day)`. If that date is not strictly after `today`, the answer is the same day next month; remember that after December comes January of the next year.
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# For next month, work out its year and month first (when `today.month` is 12, the next is month 1 of the next year), then build the date with `date(year, month, refill_day)`.
#
# </details>

# %% quizkit={"exercise": "next-refill", "role": "starter"}
from datetime import date


def next_refill(billing_day, today):
    """The first date strictly after `today` on which monthly Connects arrive."""
    return today


# %% quizkit={"exercise": "next-refill", "role": "check"}
check("next-refill", next_refill)


# %% [markdown] quizkit={"exercise": "balance-after", "role": "prompt"}
# ## What will my balance be in a few months?
#
# You want to know whether your Connects will last. Every month your plan credits its
# allowance, `RULES[f"plan.{plan}.monthly_connects"]`, and you spend about the same
# number of Connects on proposals. Two rules shape the balance:
#
# - Connects **expire**: each refill or purchase expires `RULES["expiry.months"]` months
#   (today 12 (Oct 2025 · high)) after it was issued.
# - Upwork spends the **oldest** Connects first (Oct 2025 · high).
#
# Write `balance_after(plan, opening_balance, monthly_spend, months)`:
#
# - `plan` is a plan id (`"basic"` or `"plus"`).
# - `opening_balance` is an `int`: the Connects you have now. Count them as issued in
#   month 0, whatever their real age.
# - `monthly_spend` is an `int`: the Connects you would like to spend each month.
# - `months` is an `int` of 0 or more: how many refills to simulate.
# - Return an `int`: the balance after the last month's spending.
#
# Each month `m` (from 1 to `months`) goes in this order:
#
# 1. Connects issued in month `m - RULES["expiry.months"]` or earlier expire.
# 2. The plan's allowance arrives as a new lot, issued in month `m`.
# 3. You spend `monthly_spend`, oldest Connects first. If the balance cannot cover it,
#    you spend what there is and the balance is 0.
#
# For example, on Freelancer Basic with 25 Connects and
# 15 spent a month, after 2 months you have
# 15 left. With no spending, an unused opening balance is gone after
# 12 months.
#
# There is no cap on how many Connects roll over today (`RULES["rollover.cap"]` is `None`); if Upwork brings one back, you may model it as a bonus: for example, drop the oldest Connects above it at each refill. (Oct 2025 · high)
#
# <details><summary>Hint 1</summary>
#
# Don't look for a formula: simulate the months one by one. Keep your Connects as a list of lots, `[month_issued, amount]`, oldest first; your opening balance is a lot issued in month 0. `for month in range(1, months + 1):` runs once for each month.
#
# </details>
#
# <details><summary>Hint 2</summary>
#
# Each month, in this order: drop the lots that are `RULES["expiry.months"]` months old or older, add this month's refill as a new lot at the end (`lots.append([month, allowance])`), then spend.
#
# </details>
#
# <details><summary>Hint 3</summary>
#
# Spend from the front of the list (the oldest lot): take what you need from it, remove it when it is empty (`lots.pop(0)`), and move to the next one. Stop when the spending is covered or the list is empty; the balance never goes below zero.
#
# </details>
#
# <details><summary>Hint 4</summary>
#
# A lot issued in month `issued` has expired in month `month` when `issued <= month - RULES["expiry.months"]`. At the end, the balance is `sum(amount for issued, amount in lots)`.
#
# </details>

# %% quizkit={"exercise": "balance-after", "role": "starter"}
def balance_after(plan, opening_balance, monthly_spend, months):
    """The Connects balance after `months` refills, spending oldest first."""
    balance = opening_balance
    return balance


# %% quizkit={"exercise": "balance-after", "role": "check"}
check("balance-after", balance_after)

# %% [markdown]
# ## What next
#
# When every grading cell says *passed* (or whenever you like: the exercises are optional,
# and the quiz does not need them), go back to Lesson 1 for its quiz, or open Workbook 2
# on the Connects a job requires.
