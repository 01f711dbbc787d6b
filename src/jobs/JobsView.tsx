/**
 * The Jobs panel's React tree: the jobs, the last message, then the selected job.
 */
import React from 'react';

import { ListPanel } from '../components/ListPanel';
import { JobList } from './JobList';
import { IJobActions, JobView } from './JobView';
import { JobsModel } from './model';

export function JobsView(
  props: IJobActions & { model: JobsModel }
): JSX.Element {
  const { model } = props;
  return (
    <ListPanel
      model={model}
      List={JobList}
      onSelect={name => void model.selectJob(name)}
    >
      {model.name && <JobView {...props} />}
    </ListPanel>
  );
}
