# dejfa_first_set: lowest set bit as a selection tree (paths from the repository root)
# Widths in use: 64 (prefix entries, a word's match starts), 256 and 1,024 (rule slots).
#@variant n2 -GN=2
#@variant n64 -GN=64
#@variant n256 -GN=256
#@variant n1024 -GN=1024
#@yosys proc; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_first_set.sv
