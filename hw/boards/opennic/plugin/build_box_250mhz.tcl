# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the OpenNIC shell's script/build.tcl for this plugin directory: reads the dejfa
# sources named by hw/boards/opennic/dejfa_opennic_250mhz.f (the list the Verilator and Yosys
# checks use), expanded by dejfa's own list reader, scripts/rtlparams.py: one reader, no copy.
set dejfa_root [file normalize [file join [file dirname [info script]] .. .. .. ..]]
set dejfa_list [file join $dejfa_root hw boards opennic dejfa_opennic_250mhz.f]
if {[catch {exec python3 [file join $dejfa_root scripts rtlparams.py] files $dejfa_list --abs} \
       dejfa_srcs]} {
  error "dejfa plugin: python3 scripts/rtlparams.py could not list the sources: $dejfa_srcs"
}
foreach src [split $dejfa_srcs "\n"] {
  read_verilog -quiet -sv $src
}
set_property include_dirs [list [file join $dejfa_root hw rtl]] [current_fileset]
