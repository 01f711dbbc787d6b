/**
 * The page of points as a table, newest first: time, drifted share, verdict, alerts and
 * whether Evidently's report is kept. A row opens the point's report.
 */
import React from 'react';

import { PointsPage } from '../api/client';
import { Pager } from '../components/Pager';
import { formatShare, formatUtc, verdictOf } from './format';
import { VerdictBadge } from './StatusBadges';

export interface IPointsTableProps {
  page: PointsPage;
  onOpenPoint: (pointId: number) => void;
  onPage: (page: number) => void;
}

export function PointsTable(props: IPointsTableProps): JSX.Element {
  const { page } = props;
  const newestFirst = [...page.points].reverse();
  return (
    <div data-testid="mlops-points">
      <div className="jp-mlops-table-scroll">
        <table className="jp-mlops-table">
          <thead>
            <tr>
              <th>point</th>
              <th>time</th>
              <th>drifted</th>
              <th>verdict</th>
              <th>alerts</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map(p => (
              <tr
                key={p.id}
                className="jp-mlops-clickable"
                data-testid="mlops-point-row"
                title={`Open point ${p.id}`}
                onClick={() => props.onOpenPoint(p.id)}
              >
                <td className="jp-mlops-number">
                  {p.id}
                  {p.has_report && (
                    <span title="Evidently's report is kept"> 📄</span>
                  )}
                </td>
                <td>{formatUtc(p.created_at)}</td>
                <td className="jp-mlops-number">
                  {formatShare(p.share_of_drifted_columns)} (
                  {p.number_of_drifted_columns}/{p.number_of_columns})
                </td>
                <td>
                  <VerdictBadge verdict={verdictOf(p.dataset_drifted)} />
                </td>
                <td className="jp-mlops-number">{p.alerts || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        page={page.page}
        pageSize={page.page_size}
        count={page.points.length}
        total={page.total}
        onPage={props.onPage}
      />
    </div>
  );
}
