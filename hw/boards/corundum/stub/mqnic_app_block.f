# mqnic_app_block (stub): Corundum's application block ports dejfa uses, with the glue that
# make-app.py puts into a Corundum tree. Checked with the parameters of two real builds:
# fpga_100g/fpga_AU250 (2 ports, 512-bit taps: configuration 100g) and a 10G build (64-bit taps:
# configuration 10g).
#@incdir hw/boards/corundum
#@variant au250_100g -GIF_COUNT=2 -GAXIS_DATA_WIDTH=512 -GAXIL_APP_CTRL_ADDR_WIDTH=24
#@variant 10g_64bit -GIF_COUNT=2 -GAXIS_DATA_WIDTH=64 -GAXIL_APP_CTRL_ADDR_WIDTH=24
#@yosys tee -o /dev/stdout stat
#@yosys-blackbox hw/rtl/dejfa_core.f
#@include hw/boards/corundum/dejfa_corundum_app.f
hw/boards/corundum/stub/mqnic_app_block.sv
