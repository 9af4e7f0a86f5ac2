"""Closed-form providers for ``emergence solve``; see :mod:`numeric.closed_forms`."""
