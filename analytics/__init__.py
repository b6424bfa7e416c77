"""Pure computations on Polars frames: no I/O, no Streamlit, no network."""
