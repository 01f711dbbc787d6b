/**
 * The page of points as a table, newest first: time, drifted share, verdict, alerts and
 * whether Evidently's report is kept. A row opens the point's report.
 */
import React from 'react';

import { PointRow, PointsPage } from '../api/client';
import { ServerPager } from '../components/Pager';
import { IColumn, Table } from '../components/Table';
import { formatShare, formatUtc, verdictOf } from './format';
import { VerdictBadge } from './StatusBadges';

export interface IPointsTableProps {
  page: PointsPage;
  onOpenPoint: (pointId: number) => void;
  onPage: (page: number) => void;
}

const COLUMNS: IColumn<PointRow>[] = [
  {
    head: 'point',
    className: 'jp-mlops-number',
    cell: p => (
      <>
        {p.id}
        {p.has_report && <span title="Evidently's report is kept"> 📄</span>}
      </>
    )
  },
  { head: 'time', cell: p => formatUtc(p.created_at) },
  {
    head: 'drifted',
    className: 'jp-mlops-number',
    cell: p =>
      `${formatShare(p.share_of_drifted_columns)} (${p.number_of_drifted_columns}/${p.number_of_columns})`
  },
  {
    head: 'verdict',
    cell: p => <VerdictBadge verdict={verdictOf(p.dataset_drifted)} />
  },
  { head: 'alerts', className: 'jp-mlops-number', cell: p => p.alerts || '' }
];

export function PointsTable(props: IPointsTableProps): JSX.Element {
  const { page } = props;
  return (
    <div data-testid="mlops-points">
      <Table
        scroll
        columns={COLUMNS}
        rows={[...page.points].reverse()}
        rowKey={p => p.id}
        rowAttributes={p => ({
          className: 'jp-mlops-clickable',
          'data-testid': 'mlops-point-row',
          title: `Open point ${p.id}`,
          onClick: () => props.onOpenPoint(p.id)
        })}
      />
      <ServerPager of={page} count={page.points.length} onPage={props.onPage} />
    </div>
  );
}
