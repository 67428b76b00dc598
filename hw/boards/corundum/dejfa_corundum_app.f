# dejfa_corundum_app: the filter core as a Corundum application (paths from the repository root).
# make-app.py adds these files to the Corundum board variant it writes.
#@checked-by hw/boards/corundum/stub/mqnic_app_block.f
#@include hw/rtl/dejfa_core.f
hw/boards/common/dejfa_filter.sv
hw/boards/corundum/dejfa_corundum_app.sv
