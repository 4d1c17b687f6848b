"""The award catalogue: titles and forms of commendation per legal regime, with their thresholds."""
