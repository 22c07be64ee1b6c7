"""Qt widgets of the kiosk: they show screens (kiosk.screens) and emit signals, nothing more."""
