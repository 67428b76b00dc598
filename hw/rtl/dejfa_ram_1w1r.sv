// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_ram_1w1r: simple dual-port RAM, one write port and one read port with a registered read
 * (the data one cycle after the address; a read of the entry written in the same cycle returns
 * the old contents). With a single read port a memory maps onto one set of block or UltraRAM
 * (dejfa_ram_2r's port A also reads, which tools may implement with a second copy).
 */
module dejfa_ram_1w1r #(
  /// entries (a power of two, at least 2)
  parameter int unsigned DEPTH = 64,
  /// entry width in bits
  parameter int unsigned WIDTH = 32,
  /// the memory's ram_style attribute: "block" (block RAM) or "ultra" (UltraRAM, for the large
  /// record tables)
  parameter STYLE = "block",
  localparam int unsigned AW = $clog2(DEPTH)
) (
  input  wire logic             clk,
  input  wire logic             we,
  input  wire logic [AW-1:0]    waddr,
  input  wire logic [WIDTH-1:0] wdata,
  input  wire logic [AW-1:0]    raddr,
  output logic      [WIDTH-1:0] rdata
);
  initial begin
    if (DEPTH < 2 || (1 << AW) != DEPTH) $fatal(1, "dejfa_ram_1w1r: DEPTH must be a power of two >= 2 (%m)");
  end

  (* ram_style = STYLE *) logic [WIDTH-1:0] mem [DEPTH];
  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
  end
  always_ff @(posedge clk) begin
    rdata <= mem[raddr];
  end
endmodule

`resetall
`default_nettype wire
