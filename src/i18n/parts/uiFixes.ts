/** Strings of the issue #14 layout leftovers: why a route is refused, the verdict-table row card beside the table. */
export const zh = {
  uiFixes: {
    why: {
      'unreachable-disconnected': '原因：这段路在路网数据中是孤立的一片，没有任何可通行的道路把它和消防站连起来（常见于数据范围边缘或缺少连接道路之处）。',
      'unreachable-one-way': '原因：单行道死角——通向这段路的单行道都朝外，消防车可以从这里驶出，却无法驶入（例如只能从数据范围之外驶入的高速公路单向车道）。',
      'unreachable-turns': '原因：按单行方向有路可达，但每条路线都要经过被禁止的转弯；应急时若可不受转向限制，可在速度方案中把“转向限制（OSM）”改为“忽略”。',
      unreachable: '原因：该路段与消防站所在的路网不相连，或被单行、转向限制挡住。',
    },
    cardClose: '关闭（Esc）',
    cardHint: 'Esc 关闭并回到表格中的这一行。',
  },
};

export const en: typeof zh = {
  uiFixes: {
    why: {
      'unreachable-disconnected': 'Why: this road is a cut-off piece of the road data — no usable road joins it to any station (typical at the edge of the extract or where a link road is missing).',
      'unreachable-one-way': 'Why: a one-way pocket — the one-way roads around it all lead out, so a fire engine could drive out of it but not in (e.g. a motorway carriageway entered only from beyond the edge of the data).',
      'unreachable-turns': 'Why: the one-way directions allow a way there, but every way takes a forbidden turn; where crews may disregard turn rules on a call, set “Turn restrictions (OSM)” to “ignore” in the speed profile.',
      unreachable: 'Why: that road is not joined to the stations’ network, or one-way or turn rules block every way there.',
    },
    cardClose: 'Close (Esc)',
    cardHint: 'Esc closes it and returns to this row of the table.',
  },
};
