print("hmm-check")
