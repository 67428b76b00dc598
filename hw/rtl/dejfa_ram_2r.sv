// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_ram_2r: one table bank as true dual-port RAM with registered reads. Port A writes
 * (we) or reads at addr_a; port B reads at addr_b. Each read's data appears one cycle after its
 * address; a write's own read returns the old contents (read-first). Block and UltraRAM both
 * take this form; the tables of version 3's index are built from it (dejfa_hdr_verify).
 */
module dejfa_ram_2r #(
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
  input  wire logic [AW-1:0]    addr_a,
  input  wire logic [WIDTH-1:0] wdata,
  output logic      [WIDTH-1:0] rd_a,
  input  wire logic [AW-1:0]    addr_b,
  output logic      [WIDTH-1:0] rd_b
);
  initial begin
    if (DEPTH < 2 || (1 << AW) != DEPTH) $fatal(1, "dejfa_ram_2r: DEPTH must be a power of two >= 2 (%m)");
  end

  (* ram_style = STYLE *) logic [WIDTH-1:0] mem [DEPTH];
  always_ff @(posedge clk) begin
    if (we) mem[addr_a] <= wdata;
    rd_a <= mem[addr_a];
  end
  always_ff @(posedge clk) begin
    rd_b <= mem[addr_b];
  end
endmodule

`resetall
`default_nettype wire
