# box_250mhz (stub): the OpenNIC shell's box with its real port list, including the plugin's
# .vh glue as the shell does; the plugin is linted and tested through these ports.
#@incdir hw/boards/opennic/plugin/box_250mhz
#@yosys tee -o /dev/stdout stat
#@yosys-blackbox hw/rtl/dejfa_core.f
#@include hw/boards/opennic/dejfa_opennic_250mhz.f
hw/boards/opennic/stub/box_250mhz.sv
