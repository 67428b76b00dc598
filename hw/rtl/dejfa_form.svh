// SPDX-License-Identifier: Apache-2.0
//
// DEJFA_SIM_FORM: the default of a block's SIM_FORM parameter. A block with two evaluation forms
// of one function (docs/HARDWARE.md "Simulation forms") builds its synthesis form (a tree of small
// cells with a short path) unless SIM_FORM is set, and its simulation form (a few word-wide
// operations that Verilator turns into a few machine instructions) when it is. The default is the
// simulation form under Verilator and the synthesis form everywhere else (Yosys, Vivado);
// +define+DEJFA_SYNTH_FORM makes a Verilated model use the synthesis forms too. Each such block's
// unit test builds both forms and checks both against one reference on every vector.

`ifndef DEJFA_FORM_SVH
`define DEJFA_FORM_SVH

`ifdef VERILATOR
`ifdef DEJFA_SYNTH_FORM
`define DEJFA_SIM_FORM 0
`else
`define DEJFA_SIM_FORM 1
`endif
`else
`define DEJFA_SIM_FORM 0
`endif

`endif
