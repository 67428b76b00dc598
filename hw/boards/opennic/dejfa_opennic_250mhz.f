# dejfa_opennic_250mhz: the filter core as the OpenNIC box_250mhz plugin (paths from the
# repository root). Also read by plugin/build_box_250mhz.tcl in the shell's Vivado build.
#@checked-by hw/boards/opennic/stub/box_250mhz.f
#@include hw/rtl/dejfa_core.f
hw/rtl/dejfa_axil_cdc.sv
hw/boards/common/dejfa_filter.sv
hw/boards/opennic/dejfa_opennic_250mhz.sv
