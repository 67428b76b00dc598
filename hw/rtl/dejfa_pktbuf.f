# dejfa_pktbuf: store-and-forward packet buffer (paths from the repository root)
#@params DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_pktbuf.sv
