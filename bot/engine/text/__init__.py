"""Reading a project description: markup stripped, keywords found, cues applied, answers decided.

clean.py removes chat markup; tokens.py splits words (contractions, inflections); typos.py
corrects one typo; phrases.py compiles and finds the knowledge's phrases; scope.py applies
the NegEx-style cues to mentions (mention.py), with labels, short questions and lone cues in
answers.py; compare.py reads comparisons with a framework and what a framework's name owns
("Django's synchronous workers"); stack.py reads the stack the app runs on today ("X runs on
CherryPy") for past success; decide.py turns mentions into answers; extract.py ties them
together.
"""
