# Models arrive with the issues that need them; see README.md.
