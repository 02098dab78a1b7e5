"""The Inside tab (what every layer of the model in use does with the drawing)
and the Mistakes tab (the confusion matrix and the images behind each cell)."""
