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
#     lesson: spending
# ---

# %% [markdown]
# # Workbook 2: Connects a job requires
#
# Lesson 2 is about spending: every job sets the Connects a proposal costs, your
# balance decides how many proposals you can send, and unused Connects expire. These
# exercises turn that into decisions you can compute.
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
# The figures this lesson uses, read from `RULES` (your functions read them the same way):

# %%
for figure in sorted(RULES):
    if figure.startswith(("proposal.", "plan.", "expiry.", "rollover.", "returns.", "invites.")):
        print(f"{figure:<34} {RULES[figure]}")


# %% [markdown] quizkit={"exercise": "proposals-affordable", "role": "prompt"}
# ## How many proposals can I send?
#
# You have a few Connects left before your next refill and you have found several jobs
# that suit you. Each job shows how many Connects a proposal costs, and you can only
# submit a proposal when your balance covers that number in full.
#
# Write `proposals_affordable(balance, required)`:
#
# - `balance` is an `int` of 0 or more: the Connects you have now.
# - `required` is an `int` of 1 or more: the Connects each proposal needs (assume every
#   job you look at asks for the same number).
# - Return an `int`: how many proposals your balance pays for.
#
# For example, with 24 Connects and jobs that require 8, you can send 3 proposals; with
# 25 Connects it is still 3, and 1 Connect stays in your balance.

# %% quizkit={"exercise": "proposals-affordable", "role": "starter"}
def proposals_affordable(balance, required):
    """How many proposals at `required` Connects each `balance` pays for."""
    return 0


# %% quizkit={"exercise": "proposals-affordable", "role": "check"}
check("proposals-affordable", proposals_affordable)


# %% [markdown] quizkit={"exercise": "balance-after", "role": "prompt"}
# ## What will my balance be in a few months?
#
# You want to know whether your Connects will last. Every month your plan credits its
# allowance, `RULES[f"plan.{plan}.monthly_connects"]`, and you spend about the same
# number of Connects on proposals. Two rules shape the balance:
#
# - Connects **expire**: each refill or purchase lapses `RULES["expiry.months"]` months
#   (today 12) after it was issued.
# - Upwork spends the **oldest** Connects first.
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
# For example, on Freelancer Basic with 20 Connects and 15 spent a month, after 2 months
# you have 10 left. With no spending, an unused opening balance is gone after
# 12 months.
#
# There is no cap on how many Connects roll over today (`RULES["rollover.cap"]` is
# `None`); if Upwork brings one back, the oldest Connects above it would be dropped at
# each refill, which you may add to your function as a bonus.

# %% quizkit={"exercise": "balance-after", "role": "starter"}
def balance_after(plan, opening_balance, monthly_spend, months):
    """The Connects balance after `months` refills, spending oldest first."""
    balance = opening_balance
    return balance


# %% quizkit={"exercise": "balance-after", "role": "check"}
check("balance-after", balance_after)


# %% [markdown] quizkit={"exercise": "choose-jobs", "role": "prompt"}
# ## Which jobs deserve my Connects?
#
# Your balance will not cover a proposal for every job in your feed, so you want to
# spend it where it is most likely to pay. For each job you note how many Connects a
# proposal costs, how well you fit it, and what the contract pays. The course measures a
# job's **promise** as `fit * value_usd`, and follows the article's advice: do not spend
# Connects on jobs you are not a good fit for, which here means a `fit` below **0.7**.
#
# Write `choose_jobs(jobs, budget)`:
#
# - `jobs` is a `list` of `dict`s, one per job, each with the keys
#   - `"id"` (`str`), unique,
#   - `"connects"` (`int`): the Connects a proposal needs,
#   - `"fit"` (`float` from 0 to 1): how well you match the job,
#   - `"value_usd"` (`int` or `float`): what the contract pays, in dollars.
# - `budget` is an `int`: the Connects you are willing to spend.
# - Return a `list` of job ids (`str`): the jobs to apply to. Their Connects must add up
#   to at most `budget`, every chosen job must have a fit of 0.7 or more, and their
#   promises must add up to **as much as possible**. Give the ids in the order the jobs
#   appear in `jobs`. When nothing fits, return an empty list.
#
# For example, with a budget of 16 and three fit jobs needing 16, 8 and 8 Connects with
# promises of $950, $630 and $480, the two smaller jobs together ($1,110) beat the big
# one. There are never more than seven jobs, so your function may try every combination.

# %% quizkit={"exercise": "choose-jobs", "role": "starter"}
def choose_jobs(jobs, budget):
    """Ids of the jobs to apply to: the most promise within `budget` Connects, fit jobs only."""
    chosen = []
    return chosen


# %% quizkit={"exercise": "choose-jobs", "role": "check"}
check("choose-jobs", choose_jobs)

# %% [markdown]
# ## What next
#
# When every grading cell says *passed*, go back to Lesson 2 for its quiz, or open
# Workbook 3 on proposal visibility.
