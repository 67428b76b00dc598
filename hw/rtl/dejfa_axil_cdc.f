# dejfa_axil_cdc: AXI4-Lite clock crossing (paths from the repository root)
hw/rtl/dejfa_axil_cdc.sv
