"""Inside the network: what every layer of a model does with one image, which
pixels pushed the answer, and which test images a model misreads. Qt-free, so
`digitpad inspect`, `digitpad eval --mistakes` and the window's Inside view all
use the same code."""
