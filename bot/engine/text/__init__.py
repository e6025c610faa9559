"""Reading a project description: markup stripped, keywords found, cues applied, answers decided.

clean.py removes chat markup, tokens.py splits words (contractions, inflections, typos),
phrases.py compiles and finds the knowledge's phrases, scope.py applies the NegEx-style
cues, decide.py turns mentions into answers, extract.py ties them together.
"""
