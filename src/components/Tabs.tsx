/**
 * A row of tabs for switching the sections of a view (the caller holds which is current).
 * The current tab's class is our own, not Lab's `jp-mod-current`: a view in the main area
 * must not look like one of the dock panel's tabs to code that finds the current document.
 */
import React from 'react';

export interface ITab<K extends string> {
  key: K;
  label: string;
}

export interface ITabsProps<K extends string> {
  tabs: ITab<K>[];
  current: K;
  onSelect: (key: K) => void;
  testId?: string;
}

export function Tabs<K extends string>(props: ITabsProps<K>): JSX.Element {
  return (
    <div className="jp-mlops-tabs" role="tablist" data-testid={props.testId}>
      {props.tabs.map(tab => (
        <button
          key={tab.key}
          role="tab"
          aria-selected={tab.key === props.current}
          className={`jp-mlops-tab${tab.key === props.current ? ' jp-mlops-tab-current' : ''}`}
          data-testid={`mlops-tab-${tab.key}`}
          onClick={() => props.onSelect(tab.key)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
