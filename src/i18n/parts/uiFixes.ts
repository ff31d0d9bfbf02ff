/** Strings of the issue #14 layout leftovers: why a route is refused, the verdict-table row card beside the table. */
export const zh = {
  uiFixes: {
    why: {
      'unreachable-disconnected': '原因：所在路段与消防站所在路网不连通——这是一段孤立的路网片段，数据中没有任何可通行的道路把它和消防站连起来。',
      'unreachable-one-way': '原因：单行道死角——该路段与消防站同在一片路网，但通向它的单行道都朝外，消防车可以驶出、无法驶入。',
      'unreachable-turns': '原因：按单行方向有路可达，但每条路线都要经过被禁止的转弯（转向限制）。',
      unreachable: '原因：该路段与消防站所在的路网不相连，或被单行、转向限制挡住。',
    },
    cardTitle: '{{name}}：结论',
    cardClose: '关闭（Esc）',
    cardHint: 'Esc 关闭并回到表格中的这一行。',
  },
};

export const en: typeof zh = {
  uiFixes: {
    why: {
      'unreachable-disconnected': 'Why: that road is not connected to the network the stations are on — a cut-off piece of road with no usable road joining it to any station in the data.',
      'unreachable-one-way': 'Why: a one-way pocket — that road joins the stations’ network, but the one-way streets around it all lead out: a fire engine can leave it but not get in.',
      'unreachable-turns': 'Why: the one-way directions allow a way there, but every way takes a forbidden turn (turn restrictions).',
      unreachable: 'Why: that road is not joined to the stations’ network, or one-way or turn rules block every way there.',
    },
    cardTitle: '{{name}}: verdict',
    cardClose: 'Close (Esc)',
    cardHint: 'Esc closes it and returns to this row of the table.',
  },
};
