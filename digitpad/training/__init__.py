"""Training for the CLI and the window alike: the training session, the personal
fine-tune, finding and downloading MNIST, pendigits."""
