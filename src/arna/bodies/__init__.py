"""State bodies, their hierarchy and the competence rules that route an appeal to one of them."""
